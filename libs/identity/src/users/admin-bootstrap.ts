import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '#platform';
import { UsersService } from './users.service';

/** The first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD, created once if no user has that email. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!email || !password || (await this.users.existsWithEmail(email))) return;
    try {
      await this.users.create({ email, password, role: 'admin', title: 'Administrator' });
      this.logger.log(`created the first admin, ${email}`);
    } catch {
      // another process of the service created it at the same moment
    }
  }
}
