// Runs an ONNX model once with ONNX Runtime (npm onnxruntime-node) on random float input and prints
// the executed shape of every graph output as JSON. Used by ort_reference.py.
// Usage: node run_ort.js MODEL.onnx INPUT_NAME '[1,3,224,224]'
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputName, shapeText] = process.argv.slice(2);
  const shape = JSON.parse(shapeText);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let seed = 1;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    data[i] = seed / 2147483648 - 0.5;
  }
  const session = await ort.InferenceSession.create(model);
  const t0 = Date.now();
  const out = await session.run({[inputName]: new ort.Tensor('float32', data, shape)});
  const ms = Date.now() - t0;
  const shapes = {};
  for (const [name, t] of Object.entries(out)) shapes[name] = t.dims.map(Number);
  const version = require('onnxruntime-node/package.json').version;
  process.stdout.write(JSON.stringify({ort_version: version, run_ms: ms, shapes}));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
