/** Constants the build defines (scripts/build.mjs). */
declare const NETWARD_WASM_URL: string;
declare const NETWARD_WORKER_URL: string;
/** The rules' Markdown pages by code (JSON), relative to the app bundle. */
declare const NETWARD_RULE_DOCS_URL: string;
declare const NETWARD_BUILD: string;
declare const NETWARD_PRECACHE: string[];
declare const NETWARD_WASM_PATH: string;

declare module 'netward-examples' {
  /** The files of every example folder, by folder name. */
  const files: Record<string, { name: string; text: string }[]>;
  export default files;
}
