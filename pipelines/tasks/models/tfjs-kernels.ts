import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof tfjs;

/**
 * The active TensorFlow.js backend's kernels, called directly: the kernels the op functions
 * (`tf.matMul`, `tf.sum`…) run, with the same inputs and attributes, so the same numbers come out,
 * without the engine's per-op bookkeeping (scopes, tensor tracking, gradient tape, `tidy`'s walk of
 * the result), which at a few hundred weights costs more than the arithmetic.
 *
 * Nothing here is tracked by the engine: every tensor `upload` or `run` returns must be given to
 * `dispose` exactly once. Uploads copy their values (wasm, native backends) or keep a reference to
 * them (cpu backend): leave an uploaded array unchanged until its tensor is disposed.
 */
export interface DirectKernels {
  /** A float32 tensor of `values` (row-major) with `shape`. */
  upload(values: Float32Array, shape: number[]): tfjs.TensorInfo;
  /** Runs the kernel registered as `name` (e.g. `tf.BatchMatMul`) for the active backend. */
  run(name: string, inputs: tfjs.NamedTensorInfoMap, attrs?: tfjs.NamedAttrMap): tfjs.TensorInfo;
  read(tensor: tfjs.TensorInfo): Float32Array;
  dispose(tensor: tfjs.TensorInfo): void;
}

/** Direct kernels of the backend active now; call after `tensorflow()` has selected it. */
export function directKernels(tf: TF): DirectKernels {
  const backend = tf.backend();
  const backendName = tf.getBackend();
  const found = new Map<string, tfjs.KernelFunc>();
  const kernel = (name: string): tfjs.KernelFunc => {
    let func = found.get(name);
    if (!func) {
      const config = tf.getKernel(name, backendName);
      if (!config) {
        throw new Error(`Expected the ${backendName} TensorFlow.js backend to register a ${name} kernel.`);
      }
      func = config.kernelFunc;
      found.set(name, func);
    }
    return func;
  };
  return {
    upload: (values, shape) => ({ dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' }),
    run: (name, inputs, attrs = {}) => kernel(name)({ inputs, backend, attrs }) as tfjs.TensorInfo,
    read: (tensor) => backend.readSync(tensor.dataId) as Float32Array,
    dispose: (tensor) => {
      backend.disposeData(tensor.dataId);
    },
  };
}
