// Read by both Vite's Svelte plugin and svelte-check. Runes everywhere: no legacy reactivity.
export default {
  compilerOptions: { runes: true },
};
