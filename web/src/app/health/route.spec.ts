import { GET } from './route';

describe('GET /health', () => {
  it('answers ok as JSON', async () => {
    const response = GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
