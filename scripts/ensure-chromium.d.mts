export declare const CHROMIUM_PATH: string
/** Answers the browser's path, installing Debian's package first if needed (as root). */
export declare function ensureChromium(): string
