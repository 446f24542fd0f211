import express, { type Router } from 'express';
import { hubStylesheet } from '../web/styles/stylesheet';

/**
 * The pages' stylesheet under a name that carries its content hash (`/assets/hub.<hash>.css`): cached
 * for a year as immutable, since a changed stylesheet is a new name. Any other name is not found, so
 * a stale page never gets a stylesheet it was not written for.
 */
export function webAssetRoutes(): Router {
  const router = express.Router();
  router.get(hubStylesheet.href, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', `"${hubStylesheet.hash}"`);
    res.type('text/css; charset=utf-8').send(hubStylesheet.css);
  });
  return router;
}
