import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Selects the TensorFlow.js backend once per process. `MLFOLIO_TF_BACKEND` may name one; by default
 * the native `tensorflow` backend is used where a user has `@tensorflow/tfjs-node` installed, and
 * otherwise WebAssembly, which is deterministic and about 1.6× faster than the pure-JS `cpu` backend.
 */
export function tensorflow(): Promise<typeof tf> {
  ready ??= selectBackend();
  return ready.then(() => tf);
}

async function selectBackend(): Promise<string> {
  const requested = process.env.MLFOLIO_TF_BACKEND;
  if ((!requested || requested === 'tensorflow') && nativeBindingInstalled()) {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-node');
  }
  const order = requested ? [requested] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (!tf.findBackendFactory(name)) continue;
    if (await tf.setBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`Expected a TensorFlow.js backend among ${order.join(', ')}, but none could be started.`);
}

/**
 * Whether the real `@tensorflow/tfjs-node` is installed. Read from its package.json rather than
 * imported: an install may alias that name to `@tensorflow/tfjs` (danfojs-node's override does),
 * and importing the alias would only load and evaluate a second copy of TensorFlow.js.
 */
function nativeBindingInstalled(): boolean {
  try {
    const manifest = createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json');
    return (
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@tensorflow/tfjs-node'
    );
  } catch {
    // Not installed: the usual case, and fine.
    return false;
  }
}

export function backendName(): string {
  return tf.getBackend();
}
