import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsString, Length, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SignupDto {
  /** Business name shown on the checkout page, 1-255 characters after trimming. */
  @ApiProperty({
    description: 'Business name shown on the checkout page, 1-255 characters after trimming.',
    example: 'Acme Stores',
  })
  @Transform(trim)
  @IsDefined({ message: 'name is required' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 255, { message: 'name must be 1-255 characters' })
  name: string;

  /** Login email, stored lower-cased; at most 255 characters. */
  @ApiProperty({ description: 'Login email, stored lower-cased; at most 255 characters.', example: 'owner@acme.test' })
  @Transform(trim)
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a valid email address' })
  @MaxLength(255, { message: 'email must be at most 255 characters' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  /** Dashboard password, 8-128 characters. */
  @ApiProperty({ description: 'Dashboard password, 8-128 characters.', example: 'correct-horse-battery' })
  @IsDefined({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128, { message: 'password must be at most 128 characters' })
  password: string;
}

export class LoginDto {
  /** Login email (case-insensitive). */
  @ApiProperty({ description: 'Login email (case-insensitive).', example: 'test@example.com' })
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a string' })
  email: string;

  /** Dashboard password. */
  @ApiProperty({ description: 'Dashboard password.', example: 'password123' })
  @IsDefined({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  password: string;
}

export class MerchantProfileDto {
  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  id: string;
  @ApiProperty({ example: 'Test Merchant' })
  name: string;
  @ApiProperty({ example: 'test@example.com' })
  email: string;
  @ApiProperty({ example: 'key_test_abc123' })
  api_key: string;
  @ApiProperty({ type: String, nullable: true, example: null })
  webhook_url: string | null;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
}

export class SignupResponseDto extends MerchantProfileDto {
  @ApiProperty({ example: 'secret_test_Q2x1c3RlcjEyMzQ1Njc4OTAxMjM0NTY3' })
  api_secret: string;
  @ApiProperty({ example: 'whsec_3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAA' })
  webhook_secret: string;
}

export class CredentialsDto {
  @ApiProperty({ example: 'key_test_abc123' })
  api_key: string;
  @ApiProperty({ example: 'secret_test_xyz789' })
  api_secret: string;
}
