import { ConfigService } from '@nestjs/config';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command } from 'nest-commander';
import { DataSource } from 'typeorm';
import { type Role, UsersService } from '#identity';
import { type Actor, STATUSES } from '#interviews';
import { type Environment, Sql, ValidationFailedError } from '#platform';
import { CliClock } from '../cli-clock';
import {
  DEMO_ADMIN,
  DEMO_DRIVERS,
  DEMO_INTERVIEWERS,
  DEMO_INTERVIEWS,
  DEMO_PASSWORD,
  type DemoAction,
  type DemoInterview,
  type DemoPerson,
  type Party,
  type Slot,
  type When,
} from '../demo-data';
import {
  AcceptInterviewCommand,
  AmendInterviewCommand,
  CancelInterviewCommand,
  CompleteInterviewCommand,
  CreateInterviewCommand,
  DeclineAmendmentCommand,
  MarkNoShowCommand,
  RejectInterviewCommand,
  UpdateInterviewConfigCommand,
} from '../interview-commands';
import { enrolDriver, intervieweeOf } from '../interviewees';
import { CliCommand } from './cli-command';

interface Cast {
  admin: string;
  interviewers: Map<string, string>;
  drivers: Map<string, { userId: string; intervieweeId: string }>;
  usersCreated: number;
}

/** One step of one story, at its moment. */
interface Beat {
  at: Date;
  story: number;
  step: number;
  play: () => Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * A demo dataset through the real commands, so every change is in the event log: the people of
 * demo-data.ts, then their interviews' stories played in time order with the CLI clock standing at
 * each moment (interviews that are over were booked, accepted and completed in the past, as they
 * would have been). Safe to run again: people are found or created, and the stories are told only
 * while the demo interviewers have no interview, all in one transaction (all of them or none).
 */
@Command({
  name: 'seed:demo',
  description: 'Load demo users and interviews in every status (with their events); running it again changes nothing',
})
export class SeedDemoCommand extends CliCommand {
  constructor(
    private readonly users: UsersService,
    private readonly commandBus: CommandBus,
    private readonly sql: Sql,
    private readonly clock: CliClock,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  async run(): Promise<void> {
    if (this.config.get('NODE_ENV', { infer: true }) === 'production') {
      throw new Error('seed:demo creates accounts with a published password: it does not run with NODE_ENV=production');
    }
    const cast = await this.castPeople();
    const interviewerIds = [...cast.interviewers.values()];
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM interviews WHERE interviewer_id = ANY($1::bigint[])`, [
      interviewerIds,
    ]);

    let told = 0;
    if (count === 0) {
      try {
        // The commands' own transactions join this one: the stories are saved together or not at all.
        told = await this.sql.joinOneTransaction(() => this.tellStories(cast));
      } finally {
        this.clock.reset();
      }
    }

    if (cast.usersCreated === 0 && told === 0) this.print('Demo data already in place: nothing to create.');
    else this.print(`Demo data: created ${cast.usersCreated} users and ${told} interviews.`);
    await this.printSummary(interviewerIds);
  }

  private async castPeople(): Promise<Cast> {
    const cast: Cast = { admin: '', interviewers: new Map(), drivers: new Map(), usersCreated: 0 };
    const person = async (p: DemoPerson, role: Role) => {
      const { id, created } = await this.findOrCreateUser(p, role);
      if (created) cast.usersCreated++;
      return id;
    };
    cast.admin = await person(DEMO_ADMIN, 'admin');
    for (const p of DEMO_INTERVIEWERS) cast.interviewers.set(p.key, await person(p, 'interviewer'));
    for (const d of DEMO_DRIVERS) {
      const userId = await person(d, 'driver');
      const interviewee = (await intervieweeOf(this.dataSource.manager, userId)) ?? (await enrolDriver(this.dataSource.manager, userId, d.kind));
      if (!interviewee) throw new Error(`${d.email} could not be enrolled as an interviewee`);
      cast.drivers.set(d.key, { userId, intervieweeId: interviewee.id });
    }
    return cast;
  }

  private async findOrCreateUser(p: DemoPerson, role: Role): Promise<{ id: string; created: boolean }> {
    const existing = async () => {
      const rows: { id: string; role: string }[] = await this.dataSource.query(`SELECT id::text, role FROM users WHERE lower(email) = lower($1)`, [p.email]);
      if (rows[0] && rows[0].role !== role) throw new Error(`${p.email} already exists as ${rows[0].role}, not ${role}: not a demo account`);
      return rows[0]?.id;
    };
    const id = await existing();
    if (id) return { id, created: false };
    try {
      const user = await this.users.create({ email: p.email, password: DEMO_PASSWORD, role, title: p.title, phoneNumber: p.phone });
      return { id: user.id, created: true };
    } catch (error) {
      // created at this very moment by another run
      const raced = error instanceof ValidationFailedError ? await existing() : undefined;
      if (raced) return { id: raced, created: false };
      throw error;
    }
  }

  private async tellStories(cast: Cast): Promise<number> {
    // to the minute, so the stories' moments read like times someone noted
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const slot = ({ day, at }: Slot): Date => {
      const [h, m] = at.split(':').map(Number);
      return new Date(today + day * 24 * HOUR_MS + (h * 60 + m) * 60_000);
    };
    const moment = (when: When): Date => ('hoursAgo' in when ? new Date(now.getTime() - when.hoursAgo * HOUR_MS) : slot(when));

    const ids: string[] = [];
    const beats: Beat[] = [];
    DEMO_INTERVIEWS.forEach((story, s) => {
      const actors = this.actorsOf(story, cast);
      const start = slot(story.start);
      beats.push({
        at: moment(story.created),
        story: s,
        step: 0,
        play: async () => {
          const admin = story.createdBy === 'admin';
          const { id } = await this.commandBus.execute(
            new CreateInterviewCommand(admin ? actors.admin : actors.interviewer, {
              interviewerId: admin ? actors.interviewer.id : undefined,
              intervieweeId: cast.drivers.get(story.driver)!.intervieweeId,
              startAt: start,
              endAt: new Date(start.getTime() + story.minutes * 60_000),
              kind: story.kind,
              location: story.location,
              config: story.config,
            }),
          );
          ids[s] = id;
        },
      });
      story.actions.forEach((action, i) => {
        beats.push({
          at: moment(action.when),
          story: s,
          step: i + 1,
          play: async () => {
            await this.act(action, ids[s], actors[action.by], story.minutes, slot);
          },
        });
      });
    });

    for (let s = 0; s < DEMO_INTERVIEWS.length; s++) {
      const moments = beats.filter((b) => b.story === s).map((b) => b.at.getTime());
      if (moments.some((t, i) => i > 0 && t <= moments[i - 1]) || moments.some((t) => t > now.getTime())) {
        throw new Error(`demo story ${s + 1} is not in time order, or has a step in the future`);
      }
    }

    // One timeline, so event ids and their occurred_at grow together as in a real history.
    beats.sort((a, b) => a.at.getTime() - b.at.getTime() || a.story - b.story || a.step - b.step);
    for (const beat of beats) {
      this.clock.standAt(beat.at);
      await beat.play();
    }
    this.clock.reset();

    const rows = await this.sql.query<{ id: string; status: string }>(`SELECT id::text, status FROM interviews WHERE id = ANY($1::bigint[])`, [ids]);
    const statusOf = new Map(rows.map((r) => [r.id, r.status]));
    DEMO_INTERVIEWS.forEach((story, s) => {
      if (statusOf.get(ids[s]) !== story.status) {
        throw new Error(`demo story ${s + 1} ended ${statusOf.get(ids[s])}, not ${story.status}`);
      }
    });
    return ids.length;
  }

  private act(action: DemoAction, id: string, actor: Actor, minutes: number, slot: (s: Slot) => Date): Promise<unknown> {
    const bus = this.commandBus;
    switch (action.do) {
      case 'accept':
        return bus.execute(new AcceptInterviewCommand(actor, id, undefined));
      case 'decline_amendment':
        return bus.execute(new DeclineAmendmentCommand(actor, id, undefined));
      case 'reject':
        return bus.execute(new RejectInterviewCommand(actor, id, undefined));
      case 'complete':
        return bus.execute(new CompleteInterviewCommand(actor, id, undefined));
      case 'no_show':
        return bus.execute(new MarkNoShowCommand(actor, id, undefined));
      case 'cancel':
        return bus.execute(new CancelInterviewCommand(actor, id, undefined, action.reason));
      case 'update_config':
        return bus.execute(new UpdateInterviewConfigCommand(actor, id, undefined, action.patch));
      case 'amend': {
        const start = slot(action.to);
        return bus.execute(new AmendInterviewCommand(actor, id, undefined, start, new Date(start.getTime() + minutes * 60_000)));
      }
    }
  }

  private actorsOf(story: DemoInterview, cast: Cast): Record<Party, Actor> {
    return {
      admin: { type: 'user', id: cast.admin, role: 'admin' },
      interviewer: { type: 'user', id: cast.interviewers.get(story.interviewer)!, role: 'interviewer' },
      driver: { type: 'user', id: cast.drivers.get(story.driver)!.userId, role: 'driver' },
    };
  }

  private async printSummary(interviewerIds: string[]): Promise<void> {
    const rows: { status: string; interviews: number; events: number }[] = await this.dataSource.query(
      `SELECT i.status, count(DISTINCT i.id)::int AS interviews, count(e.id)::int AS events
       FROM interviews i LEFT JOIN interview_events e ON e.interview_id = i.id
       WHERE i.interviewer_id = ANY($1::bigint[]) GROUP BY i.status`,
      [interviewerIds],
    );
    const byStatus = new Map(rows.map((r) => [r.status, r]));
    const total = rows.reduce((sum, r) => sum + r.interviews, 0);
    const events = rows.reduce((sum, r) => sum + r.events, 0);
    const counts = STATUSES.map((status) => `${status} ${byStatus.get(status)?.interviews ?? 0}`).join(', ');
    this.print(`Demo interviews: ${total} (${counts}), ${events} events.`);
    this.print();
    this.print(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
    const line = (role: string, p: DemoPerson) => this.print(`  ${role.padEnd(12)} ${p.email.padEnd(30)} ${p.title}`);
    line('admin', DEMO_ADMIN);
    for (const p of DEMO_INTERVIEWERS) line('interviewer', p);
    for (const p of DEMO_DRIVERS) line('driver', p);
    this.print();
    this.print('Start the API (npm start), then sign in with POST /api/v1/auth/sign_in, e.g. at http://localhost:3000/docs.');
  }
}
