import { InjectDataSource } from '@nestjs/typeorm';
import { Command, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { presentUser, ROLES, type Role, UsersService } from '#identity';
import { ValidationFailedError } from '#platform';
import { CliUsageError } from '../cli-errors';
import { enrolDriver, INTERVIEWEE_KINDS, type IntervieweeKind } from '../interviewees';
import { CliCommand } from './cli-command';

interface UserCreateOptions {
  email?: string;
  password?: string;
  role?: Role;
  title?: string;
  phone?: string;
  kind?: IntervieweeKind;
}

/** The checks below follow POST /api/v1/admin/users (CreateUserRequest), this one loosely. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;


@Command({
  name: 'user:create',
  description: 'Create a user and print it as JSON; a driver is also enrolled as an interviewee',
})
export class UserCreateCommand extends CliCommand {
  constructor(
    private readonly users: UsersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  @Option({ flags: '--email <email>', description: 'sign-in email, unique', required: true })
  parseEmail(value: string): string {
    return value.trim();
  }

  @Option({ flags: '--password <password>', description: 'sign-in password, 8 to 200 characters', required: true })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: 'the role', choices: [...ROLES], required: true })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--title <title>', description: 'the name shown for the user', required: true })
  parseTitle(value: string): string {
    return value.trim();
  }

  @Option({ flags: '--phone <phone>', description: 'phone number' })
  parsePhone(value: string): string {
    return value.trim();
  }

  @Option({ flags: '--kind <kind>', description: 'drivers only: the interviewee stage (default: interview)', choices: [...INTERVIEWEE_KINDS] })
  parseKind(value: string): string {
    return value;
  }

  async run(_args: string[], options: UserCreateOptions): Promise<void> {
    const input = validate(options);
    const user = await this.users
      .create({ email: input.email, password: input.password, role: input.role, title: input.title, phoneNumber: input.phone ?? null })
      .catch((error: unknown) => {
        const taken = error instanceof ValidationFailedError && error.details?.some((d) => d.field === 'user.email');
        throw taken ? new Error(`a user with the email ${input.email} already exists`) : error;
      });
    if (input.role !== 'driver') {
      this.printJson(presentUser(user));
      return;
    }
    const interviewee = await enrolDriver(this.dataSource.manager, user.id, input.kind ?? 'interview');
    if (!interviewee) throw new Error(`user ${user.id} was created but could not be enrolled as an interviewee`);
    this.printJson({ ...presentUser(user), interviewee: { id: Number(interviewee.id), kind: interviewee.kind } });
  }
}

function validate(options: UserCreateOptions): Required<Omit<UserCreateOptions, 'phone' | 'kind'>> & Pick<UserCreateOptions, 'phone' | 'kind'> {
  const { email = '', password = '', role, title = '', phone, kind } = options;
  const problems: string[] = [];
  if (!EMAIL.test(email) || email.length > 254) problems.push('--email: must be an email address (at most 254 characters)');
  if (password.length < 8 || password.length > 200) problems.push('--password: must be 8 to 200 characters');
  if (!role || !(ROLES as readonly string[]).includes(role)) problems.push(`--role: '${role ?? ''}' is not one of ${ROLES.join(', ')}`);
  if (title.length < 1 || title.length > 200) problems.push('--title: must be 1 to 200 characters');
  if (phone !== undefined && (phone.length < 1 || phone.length > 50)) problems.push('--phone: must be 1 to 50 characters');
  if (kind !== undefined && role !== 'driver') problems.push('--kind: only for --role driver');
  if (problems.length) throw new CliUsageError('invalid input', problems);
  return { email, password, role: role!, title, phone, kind };
}
