// The CLI's heap, set up for one short command: see commands.h (PrepareHeap).
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "commands.h"

namespace tops::cli {
namespace {

// Transparent huge pages are 2 MiB on x86-64 and arm64 (4 KiB base pages).
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
// Room reserved at once: a 6,500-node transformer peaks near 12 MiB of heap; reserving costs
// address space only, a page costs memory when first touched.
constexpr size_t kReserve = size_t{64} << 20;
// glibc's largest M_MMAP_THRESHOLD on 64-bit systems; larger blocks are rare here.
constexpr size_t kMaxFromHeap = size_t{32} << 20;

}  // namespace

void PrepareHeap() {
  // One heap, never given back: blocks of any size come from it (no mmap and munmap per large
  // vector, whose pages the kernel would zero again at each growth), and memory freed by one
  // step (the walk's scratch) is reused by the next (the writer) instead of faulting in anew.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMaxFromHeap));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * kReserve));
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  // Grow the heap by the reserve now, so that its range is known, then ask for huge pages on
  // it: one fault maps 2 MiB instead of 4 KiB. A kernel without transparent huge pages (or with
  // them off) ignores the advice and nothing else changes.
  const auto before = reinterpret_cast<uintptr_t>(sbrk(0));
  void* volatile grow = std::malloc(kHugePage);  // volatile: the pair must not be elided
  std::free(grow);
  const auto after = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t begin = (before + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = after & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace tops::cli
