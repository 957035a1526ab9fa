import { statSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { HOME_PAGE } from '../home-page.js';
import type { Surface } from './surface.js';

/** Paths of the app's own pages: no file extension, not a path another surface owns. */
const APP_PAGE = /^\/(?!api(?:\/|$)|auth(?:\/|$)|scim(?:\/|$)|assets\/)[^.]*$/;

/**
 * The web app's built files (WEB_APP_DIR), public like any page before sign-in: served when the
 * directory exists at start. The app routes in the browser, so a page's address (/history/...)
 * answers index.html; a file the build lacks falls through to the service's 404. index.html is
 * never cached (a new build must show at once); Vite's files under /assets carry their content's
 * hash in the name, so a browser keeps them for a year. Until the web app is built, `GET /` is the
 * static page of home-page.ts instead.
 */
export function webAppSurface(options: { directory: string }): Surface & { serving: boolean } {
  const router = Router();
  const serving = isDirectory(options.directory);
  if (serving) {
    // Dot files (.env, .git) are never served, whatever the build left in the directory.
    router.use(
      express.static(options.directory, {
        dotfiles: 'ignore',
        index: 'index.html',
        setHeaders: (res, path) => {
          res.setHeader(
            'Cache-Control',
            path.includes(`${join('/', 'assets', '/')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      }),
    );
    router.get(APP_PAGE, (req, res, next) => {
      // A browser's navigation asks for text/html by name; an API client's */* gets the 404 of a path no one owns.
      if (!req.headers.accept?.includes('text/html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile('index.html', { root: options.directory, dotfiles: 'ignore' }, (error) => error && next(error));
    });
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
