/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The built files are embedded into the desktop binary (tauri.conf.json:
// build.frontendDist = "ui/dist"); there is no dev server in the loop.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    target: ["es2021", "safari15"],
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  // Component tests mount the browser build of Svelte, not the server one.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
  },
}));
