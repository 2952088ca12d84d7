// Executes the *.probe.tflite models written by `make_tflite.py --full DIR` with the TFLite
// runtime compiled to WebAssembly (the npm package @tensorflow/tfjs-tflite, installed outside
// the repository) and writes, per model, the shape and type of every tensor the runtime
// produced: tests/models/tflite/ref/<model>.runtime.json. Inputs are zeros; the probe models
// list every operator output as a model output, so the runtime reports them all.
//
// Usage: node run_reference.js NODE_MODULES_DIR PROBE_DIR OUT_DIR
//   (NODE_MODULES_DIR holds @tensorflow/tfjs-tflite, e.g. after
//    `npm install @tensorflow/tfjs-tflite` in a scratch directory)
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [modules, probeDir, outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node run_reference.js NODE_MODULES_DIR PROBE_DIR OUT_DIR');
    process.exit(2);
  }
  const pkg = path.join(modules, '@tensorflow', 'tfjs-tflite');
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'))).version;
  const wasmDir = path.join(pkg, 'wasm');
  const factory = require(path.join(wasmDir, 'tflite_web_api_cc.js'));
  const M = await factory({wasmBinary: fs.readFileSync(path.join(wasmDir, 'tflite_web_api_cc.wasm'))});
  fs.mkdirSync(outDir, {recursive: true});
  let failed = 0;
  for (const file of fs.readdirSync(probeDir).filter(f => f.endsWith('.probe.tflite')).sort()) {
    const model = file.replace('.probe.tflite', '');
    const bytes = new Uint8Array(fs.readFileSync(path.join(probeDir, file)));
    const ptr = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, ptr);
    const created = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(
        ptr, bytes.length, {numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 16});
    if (!created.ok()) {
      console.log(`${model}: the runtime cannot load it: ${created.errorMessage()}`);
      failed++;
      continue;
    }
    const runner = created.value();
    const list = (v) => {
      const out = [];
      for (let i = 0; i < v.size(); i++) out.push(v.get(i));
      return out;
    };
    for (const input of list(runner.GetInputs())) input.data().fill(0);
    if (!runner.Infer()) {
      console.log(`${model}: inference failed`);
      failed++;
      continue;
    }
    // Names by position, from the generator: a runtime may rename the tensors it rewrites.
    const names = fs.readFileSync(path.join(probeDir, model + '.probe.names'), 'utf8')
                      .split('\n')
                      .filter(s => s.length > 0);
    const tensors = {};
    const outputs = list(runner.GetOutputs());
    if (outputs.length !== names.length) {
      console.log(`${model}: ${outputs.length} outputs for ${names.length} names`);
      failed++;
      continue;
    }
    for (const [i, o] of outputs.entries()) {
      tensors[names[i]] = {
        shape: o.shape === '' ? [] : o.shape.split(',').map(Number),
        // The runtime's JavaScript binding names no int64 type ('unknown'): left unsaid.
        dtype: o.dataType === 'unknown' ? null : o.dataType,
      };
    }
    const ref = {
      model: model + '.tflite',
      runtime: `TFLite runtime in @tensorflow/tfjs-tflite ${version} (WebAssembly), zero inputs`,
      tensors,
    };
    fs.writeFileSync(path.join(outDir, model + '.runtime.json'), JSON.stringify(ref, null, 1) + '\n');
    console.log(`${model}: ${Object.keys(tensors).length} tensors`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
