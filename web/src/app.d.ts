// Types of SvelteKit's $app/* modules and of Vite's import.meta (svelte.config.js narrows
// the generated tsconfig's include list to web/src, which leaves out the generated ambient file).
/// <reference types="@sveltejs/kit" />
/// <reference types="vite/client" />

declare global {
  namespace App {}
}

export {};
