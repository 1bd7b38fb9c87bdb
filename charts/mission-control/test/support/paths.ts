import path from 'node:path';

export const CHART_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(CHART_DIR, '..', '..');
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');
