import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SignupDto } from '../merchants/auth.dto.js';
import { CreateOrderDto } from '../orders/orders.dto.js';
import { firstValidationMessage } from './validation.js';

function messageFor(dto: new () => object, body: object): string {
  return firstValidationMessage(validateSync(plainToInstance(dto, body)));
}

describe('firstValidationMessage', () => {
  it.each([
    [{}, 'amount is required'],
    [{ amount: null }, 'amount is required'],
    [{ amount: '500' }, 'amount must be an integer'],
    [{ amount: 1.5 }, 'amount must be an integer'],
    [{ amount: 99 }, 'amount must be at least 100'],
    [{ amount: 2147483648 }, 'amount must be at most 2147483647'],
    [{ amount: 500, currency: 3 }, 'currency must be a 3-letter ISO code'],
    [{ amount: 500, currency: 'inr' }, 'currency must be a 3-letter ISO code'],
    [{ amount: 500, receipt: 'x'.repeat(256) }, 'receipt must be a string of at most 255 characters'],
    [{ amount: 500, receipt: 5 }, 'receipt must be a string of at most 255 characters'],
    [{ amount: 500, notes: [] }, 'notes must be an object'],
    [{ amount: 500, notes: 'x' }, 'notes must be an object'],
  ])('should report the first rule in reading order for order %j', (body, message) => {
    expect(messageFor(CreateOrderDto, body)).toBe(message);
  });

  it('should report fields in declaration order', () => {
    expect(messageFor(SignupDto, {})).toBe('name is required');
    expect(messageFor(SignupDto, { name: 'A', email: 'nope', password: 'x' })).toBe(
      'email must be a valid email address',
    );
    expect(messageFor(SignupDto, { name: 'A', email: 'a@b.co', password: 'short' })).toBe(
      'password must be at least 8 characters',
    );
  });
});
