// The few WebAssembly JS-API members this package uses, typed locally so the package compiles (and its .d.ts
// files read) without the DOM lib.

/** A compiled module (opaque). @internal */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory. @internal */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The subset of the global `WebAssembly` namespace used here. @internal */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ readonly exports: object }>;
}

/** The runtime's `WebAssembly`, or undefined where there is none. @internal */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
