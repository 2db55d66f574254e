// Vite's `?raw` imports (a file's text as a string): tests read configuration files this way,
// since workerd has no file system.
declare module '*?raw' {
  const text: string
  export default text
}
