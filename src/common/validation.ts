import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiException } from './api.exception.js';

/**
 * class-validator checks @IsDefined first, then runs a property's other decorators bottom-up, so the
 * last recorded failure is the top-most decorator: the first rule in reading order. We report only
 * that one, for the first invalid property, as the contract's single "<field> ..." description.
 */
export function firstValidationMessage(errors: ValidationError[], parentPath = ''): string {
  const error = errors[0];
  if (!error) return 'Invalid request';
  const path = parentPath ? `${parentPath}.${error.property}` : error.property;
  const constraints = error.constraints ?? {};
  if (constraints.isDefined) return constraints.isDefined;
  const messages = Object.values(constraints);
  if (messages.length > 0) return messages[messages.length - 1];
  return firstValidationMessage(error.children ?? [], path);
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    // Unknown fields are ignored, not rejected (CONTRACT §2.2).
    forbidNonWhitelisted: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiException.badRequest(firstValidationMessage(errors)),
  });
}
