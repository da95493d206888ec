import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const DIGITS = /^[1-9][0-9]{0,15}$/;

/**
 * A route parameter that must be a user or message id as the contract defines them: a
 * positive integer (decimal digits, no sign, no leading zero, at most 2^53 − 1). Anything
 * else — `0`, `-5`, `1e3`, `007`, 20 digits — is refused with 400 before any handler runs.
 */
@Injectable()
export class PositiveIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = DIGITS.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id)) throw new BadRequestException('the id must be a positive integer');
    return id;
  }
}
