// Types for signals.mjs (the fixture signal generator copied from the librosa fixture set).
export declare const SR: number;
export declare const N: number;
export declare function sine440(): Float32Array;
export declare function quiet_sine(): Float32Array;
export declare function harmonics(): Float32Array;
export declare function chirp(): Float32Array;
export declare function noise(length?: number, seed?: number): Float32Array;
export declare function clicks(): Float32Array;
export declare function silence(): Float32Array;
export declare const SIGNALS: Record<string, () => Float32Array>;
