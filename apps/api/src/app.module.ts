import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IdentityModule } from '#identity';
import { InterviewsModule } from '#interviews';
import { PlatformModule } from '#platform';

/** The HTTP process: wiring only. */
@Module({
  imports: [PlatformModule, CqrsModule.forRoot(), IdentityModule, InterviewsModule],
})
export class AppModule {}
