import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { EVENT_TYPES } from './webhooks.service';

const TYPES_OR_ALL = ['*', ...EVENT_TYPES];

export class WebhookFields {
  @ApiProperty({ example: 'https://ats.example.com/hooks/interviews' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({ example: ['*'], description: 'Event types, or ["*"] for all (the default)', enum: TYPES_OR_ALL, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TYPES_OR_ALL.length)
  @IsIn(TYPES_OR_ALL, { each: true })
  events?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any of the fields; `active: true` re-activates a failing or disabled subscription. */
export class WebhookPatchFields extends PartialType(WebhookFields) {}

export class CreateWebhookRequest {
  @ApiProperty({ type: WebhookFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookFields)
  webhook: WebhookFields;
}

export class UpdateWebhookRequest {
  @ApiProperty({ type: WebhookPatchFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookPatchFields)
  webhook: WebhookPatchFields;
}

export class WebhookJsonDoc {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'https://ats.example.com/hooks/interviews' }) url: string;
  @ApiProperty({ example: ['*'] }) events: string[];
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ enum: ['healthy', 'failing', 'disabled'], example: 'healthy' }) state: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) created_at: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) updated_at: string;
}

export class NewWebhookJsonDoc extends WebhookJsonDoc {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signing secret, shown at creation only' })
  secret: string;
}

/** The admin routes also say who owns a subscription (micro1's routes keep their shape). */
export class AdminWebhookJsonDoc extends WebhookJsonDoc {
  @ApiProperty({ type: Number, nullable: true, example: null, description: 'The API key that made it; null when an admin did' })
  owner_api_key_id: number | null;
}

export class NewAdminWebhookJsonDoc extends AdminWebhookJsonDoc {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signing secret, shown at creation only' })
  secret: string;
}

export class WebhookEnvelope {
  @ApiProperty({ type: AdminWebhookJsonDoc }) webhook: AdminWebhookJsonDoc;
}

export class NewWebhookEnvelope {
  @ApiProperty({ type: NewAdminWebhookJsonDoc }) webhook: NewAdminWebhookJsonDoc;
}

export class WebhookList {
  @ApiProperty({ type: [AdminWebhookJsonDoc] }) webhooks: AdminWebhookJsonDoc[];
}

export class DeliveryJsonDoc {
  @ApiProperty({ example: 5 }) id: number;
  @ApiProperty({ example: 12 }) event_id: number;
  @ApiProperty({ example: 'interview.amended' }) event_type: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty({ example: 1, description: 'Attempts made so far' }) attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) last_status_code: number | null;
  @ApiProperty({ type: String, nullable: true, example: null }) last_error: string | null;
  @ApiProperty({ type: String, nullable: true }) next_attempt_at: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ type: String, nullable: true }) last_attempt_at: string | null;
  @ApiProperty({ type: String, nullable: true }) delivered_at: string | null;
}

export class DeliveryList {
  @ApiProperty({ type: [DeliveryJsonDoc] }) deliveries: DeliveryJsonDoc[];
}

export class DeliveryEnvelope {
  @ApiProperty({ type: DeliveryJsonDoc }) delivery: DeliveryJsonDoc;
}
