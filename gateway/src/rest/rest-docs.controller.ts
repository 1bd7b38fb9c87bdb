import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import path from 'node:path';
import { restOpenApiDocument } from './rest-openapi';
import { REST_BASE_PATH } from './rest-route';

/** Swagger UI's files, served from its npm package: the page needs nothing from elsewhere. */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/**
 * The docs page runs only scripts of this origin, none inline (its start-up is docs/start.js), and
 * is never framed: the same hardening as the web app's pages, on a page that shows tokens typed in.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Mission Control REST API</title>
    <link rel="stylesheet" href="docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="docs"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/start.js"></script>
  </body>
</html>
`;

// Relative URLs: the page works wherever the gateway is mounted.
const DOCS_START = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#docs',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

function harden(response: Response): void {
  response.setHeader('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
  response.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  response.setHeader('permissions-policy', 'camera=(), geolocation=(), microphone=()');
  response.setHeader('x-frame-options', 'DENY');
}

/** The OpenAPI document of REST v1 and a page that renders it. */
@Controller(REST_BASE_PATH.slice(1))
export class RestDocsController {
  private readonly document = JSON.stringify(restOpenApiDocument());

  @Get('openapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @Header('cache-control', 'no-cache')
  openapi(): string {
    return this.document;
  }

  @Get('docs')
  page(@Res() response: Response): void {
    harden(response);
    response.type('html').send(DOCS_PAGE);
  }

  @Get('docs/start.js')
  start(@Res() response: Response): void {
    harden(response);
    response.type('application/javascript').send(DOCS_START);
  }

  @Get('docs/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    if (!SWAGGER_UI_FILES.has(file)) {
      throw new NotFoundException(`No docs file ${file}`);
    }
    harden(response);
    response.sendFile(path.join(SWAGGER_UI_DIR, file), { maxAge: '1h' });
  }
}
