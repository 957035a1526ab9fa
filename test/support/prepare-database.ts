// Runs once before every test project. Database preparation lives in test/support/database.ts.
export default async function globalSetup(): Promise<void> {}
