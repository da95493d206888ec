import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { FORUM_OPTIONS, type ForumOptions } from '../forum.options.js';
import { SessionEndedEvents } from '../sessions/session-ended.events.js';
import { looksLikeSessionToken, newSessionToken, sessionKeyOf } from '../sessions/session-token.js';
import { SessionStore } from '../sessions/session.store.js';
import { loginKey } from '../users/login-key.js';
import { UserRecord, UserStore, UserTakenError } from '../users/user.store.js';
import { AuthenticatedUser } from './authenticated-user.js';
import { LoginDto, RegisterDto } from './auth.dto.js';
import { HashingGate, type HashingClaim } from './hashing-gate.js';
import { PasswordHasher } from './password-hasher.js';

/** A new login: the token goes to the client once and is never stored. */
export interface LoginResult {
  user: { id: number; nickname: string };
  token: string;
  expiresAt: number;
}

/**
 * Registration, login, logout and session checks of the stand-in forum. Sessions are
 * stored by the hash of their token; ended sessions are announced on `SessionEndedEvents`.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(UserStore) private readonly users: UserStore,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(FORUM_OPTIONS) private readonly options: ForumOptions,
    private readonly sessionEvents: SessionEndedEvents,
    private readonly hashing: HashingGate,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Creates the user; 409 when taken or a look-alike of a registered nickname, 503 (`HashingBusyException`) when hashing is saturated. */
  async register(dto: RegisterDto, address: string): Promise<{ id: number; nickname: string }> {
    const claim = { address, account: `name:${loginKey(dto.nickname)}` };
    const passwordHash = await this.hashing.run(() => this.hasher.hash(dto.password), claim);
    try {
      const user = await this.users.create({ nickname: dto.nickname, email: dto.email ?? null, passwordHash });
      return { id: user.id, nickname: user.nickname };
    } catch (error) {
      if (error instanceof UserTakenError && error.lookAlike && !(await this.users.findByLogin(dto.nickname)))
        throw new ConflictException(`nickname "${dto.nickname}" looks too much like a registered one; choose another`);
      if (error instanceof UserTakenError) throw new ConflictException('nickname or email already taken');
      throw error;
    }
  }

  /** The account a login name (nickname or e-mail, folded by `loginKey`) names, or null. */
  findAccount(login: string): Promise<UserRecord | null> {
    return this.users.findByLogin(login);
  }

  /**
   * Checks the password of `user` (`findAccount(dto.login)`; null: checked against a dummy
   * hash, then refused) through the hashing bound (503 when saturated, 429 when the
   * address or account holds its share; a login from a known device is served first), and
   * opens a session. A hash not made with the current Argon2id parameters (older ones, or
   * the former scrypt) is replaced by a current one on success: at once on a known device
   * (in its lane), else when a hashing slot is free at that moment.
   */
  async login(
    dto: LoginDto,
    user: UserRecord | null,
    from: { address: string; knownDevice: boolean },
  ): Promise<LoginResult> {
    const stored = user?.passwordHash ?? (await this.hasher.dummyHash());
    const account = user ? `id:${user.id}` : `name:${loginKey(dto.login)}`;
    const claim = { address: from.address, account, knownDevice: from.knownDevice };
    const valid = await this.hashing.run(() => this.hasher.verify(dto.password, stored), claim);
    if (!user || !valid) throw new UnauthorizedException('wrong login or password');
    if (this.hasher.needsRehash(stored)) await this.upgradeHash(user.id, stored, dto.password, claim);
    const token = newSessionToken();
    const expiresAt = Date.now() + this.options.sessionTtlSeconds * 1000;
    await this.sessions.create({ key: sessionKeyOf(token), userId: user.id, expiresAt });
    return { user: { id: user.id, nickname: user.nickname }, token, expiresAt };
  }

  /**
   * Revokes the session; every connection opened with it is told through
   * `SessionEndedEvents`. The revocation is stored first: when the store cannot record it,
   * this throws 503 and the session stays valid (never a success that did not happen).
   */
  async logout(sessionKey: string): Promise<void> {
    await this.durably(() => this.sessions.revoke(sessionKey));
    this.sessionEvents.emit([sessionKey]);
  }

  /** Revokes every session of a user (an administrator's "sign out everywhere"); 503 as `logout`. */
  async revokeAllSessions(userId: number): Promise<number> {
    const keys = await this.durably(() => this.sessions.revokeAllOfUser(userId));
    this.sessionEvents.emit(keys);
    return keys.length;
  }

  /** The user a session token belongs to, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    if (!looksLikeSessionToken(token)) return null;
    const session = await this.sessions.find(sessionKeyOf(token), Date.now());
    if (!session) return null;
    return { id: session.userId, nickname: session.nickname, sessionKey: session.key, expiresAt: session.expiresAt };
  }

  /**
   * Re-hashes with current parameters: a known device in its own lane (so its next login
   * under a flood no longer pays for a former, costlier hash), anyone else only when a
   * hashing slot is free now; when not done, a later login does it.
   */
  private async upgradeHash(userId: number, stored: string, password: string, claim: HashingClaim): Promise<void> {
    const rehash = () => this.hasher.hash(password);
    try {
      const upgraded = claim.knownDevice ? await this.hashing.run(rehash, claim) : await this.hashing.runIfIdle(rehash);
      if (upgraded) await this.users.replacePasswordHash(userId, stored, upgraded);
    } catch (error) {
      this.logger.warn(`password hash of user ${userId} not upgraded: ${(error as Error).message}`);
    }
  }

  private async durably<T>(revoke: () => Promise<T>): Promise<T> {
    try {
      return await revoke();
    } catch (error) {
      this.logger.error(`revocation not stored: ${(error as Error).message}`);
      throw new ServiceUnavailableException('the session could not be ended; try again');
    }
  }
}
