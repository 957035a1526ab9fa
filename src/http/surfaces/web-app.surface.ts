import { statSync } from 'node:fs';
import express, { Router } from 'express';
import { HOME_PAGE } from '../home-page.js';
import type { Surface } from './surface.js';

/**
 * The web app's built files (WEB_APP_DIR), public like any page before sign-in: served when the
 * directory exists at start, and a file it lacks falls through to the service's 404. Until the web
 * app is built, `GET /` is the static page of home-page.ts instead.
 */
export function webAppSurface(options: { directory: string }): Surface & { serving: boolean } {
  const router = Router();
  const serving = isDirectory(options.directory);
  if (serving) {
    // Dot files (.env, .git) are never served, whatever the build left in the directory.
    router.use(express.static(options.directory, { dotfiles: 'ignore', index: 'index.html' }));
  } else {
    router.get('/', (_req, res) => {
      res.type('html').send(HOME_PAGE);
    });
  }
  return { name: 'web app', path: '/', router, serving };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
