import { Injectable } from '@nestjs/common';

/** The forum's users, as in Nest's authentication sample (a real app asks its database). */
@Injectable()
export class UsersService {
  private readonly users = [
    { userId: 1, username: 'john', password: 'changeme' },
    { userId: 2, username: 'maria', password: 'guess' },
  ];

  findOne(username: string) {
    return this.users.find((user) => user.username === username);
  }

  findById(userId: number) {
    return this.users.find((user) => user.userId === userId);
  }

  all() {
    return this.users;
  }
}
