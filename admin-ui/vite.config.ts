/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django отдаёт сборку по /manage/ (site/manage_ui); в разработке /api проксируется на runserver.
const backend = process.env.MEGASHOP_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/manage/",
  plugins: [react()],
  server: {
    proxy: { "/api": { target: backend, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      output: {
        // Оболочка (React, Mantine, роутер, запросы) — отдельными долгоживущими файлами; экраны — своими.
        manualChunks: {
          react: ["react", "react-dom", "react-router"],
          mantine: ["@mantine/core", "@mantine/hooks", "@mantine/notifications"],
        },
      },
    },
  },
  test: {
    environment: "happy-dom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
