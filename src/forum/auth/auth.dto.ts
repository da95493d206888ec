import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';

/** Body of `POST /api/auth/register`. */
export class RegisterDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{3,32}$/, { message: 'nickname must be 3–32 letters, digits, "_" or "-"' })
  nickname!: string;

  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(256, { message: 'password must be at most 256 characters' })
  password!: string;

  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;
}

/** Body of `POST /api/auth/login`: `login` is a nickname or an email. */
export class LoginDto {
  @IsString()
  @Length(1, 254)
  login!: string;

  @IsString()
  @Length(1, 256)
  password!: string;
}
