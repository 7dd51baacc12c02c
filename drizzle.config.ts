import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this; the app applies migrations itself on start (src/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./db/migrations",
});
