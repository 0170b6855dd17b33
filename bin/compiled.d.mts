export declare const STAMP: string;
/** Newest modification time (ms) of launcher.ts and every file under src/. */
export declare function newestSource(root: string): number;
/** The compiled entry point under `dist` when it is complete and newer than the sources; else undefined. */
export declare function compiledEntry(root: string, dist?: string): string | undefined;
