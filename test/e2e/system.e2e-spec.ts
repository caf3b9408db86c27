import { describe, expect, it } from '@jest/globals';
import { api } from '../support/api.js';

describe('system endpoints', () => {
  it('should report healthy with both dependencies connected', async () => {
    const response = await api().get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'healthy',
      database: 'connected',
      redis: 'connected',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('should expose the seeded test merchant without its secret', async () => {
    const response = await api().get('/api/v1/test/merchant').expect(200);
    expect(response.body).toEqual({
      id: '550e8400-e29b-41d4-a716-446655440000',
      email: 'test@example.com',
      api_key: 'key_test_abc123',
      seeded: true,
    });
  });

  it('should redirect / to the dashboard', async () => {
    const response = await api().get('/').expect(302);
    expect(response.headers.location).toBe('/dashboard');
  });

  it('should answer unknown routes with the 404 envelope', async () => {
    const response = await api().get('/api/v1/nothing-here').expect(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Route not found' } });
    await api().delete('/api/v1/orders').expect(404);
  });

  it('should report job counts as numbers and a running worker', async () => {
    const response = await api().get('/api/v1/test/jobs/status').expect(200);
    for (const key of ['pending', 'processing', 'completed', 'failed'])
      expect(typeof response.body[key]).toBe('number');
    expect(response.body.worker_status).toBe('running');
  });
});
