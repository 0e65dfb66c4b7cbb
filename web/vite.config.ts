import react from '@vitejs/plugin-react'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig, type Plugin } from 'vitest/config'

// The FastAPI app serves the build from src/premier/static (assets under /assets).
const outDir = fileURLToPath(new URL('../src/premier/static', import.meta.url))
const COMPRESSIBLE = /\.(js|css|svg|json)$/

/** Writes `.br` and `.gz` beside each script and stylesheet, once, at build time: the
 *  server sends the smallest one the browser accepts (premier/http/web_assets.py). */
function precompress(): Plugin {
  return {
    name: 'premier-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(outDir, 'assets')
      for (const name of readdirSync(assets)) {
        if (!COMPRESSIBLE.test(name)) continue
        const data = readFileSync(join(assets, name))
        writeFileSync(join(assets, `${name}.gz`), gzipSync(data, { level: 9 }))
        writeFileSync(
          join(assets, `${name}.br`),
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        )
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` talks to `make run` on :8000.
    proxy: { '/api': { target: 'http://127.0.0.1:8000', ws: true } },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
