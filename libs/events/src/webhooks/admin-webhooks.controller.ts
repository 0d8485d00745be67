import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IdempotencyRedacts, IdempotentMutations, ParseIdPipe } from '#platform';
import { Roles } from '#identity';
import {
  CreateWebhookRequest,
  DeliveryEnvelope,
  DeliveryList,
  NewWebhookEnvelope,
  UpdateWebhookRequest,
  WebhookEnvelope,
  WebhookList,
} from './webhook.dto';
import { type WebhookOwner, WebhooksService } from './webhooks.service';

const ADMIN: WebhookOwner = { admin: true };

@ApiTags('webhooks')
@ApiBearerAuth('bearer')
@Roles('admin')
@IdempotentMutations()
@Controller('api/v1/admin/webhooks')
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to events; the signing secret is in this answer only' })
  @IdempotencyRedacts('webhook.secret')
  @ApiCreatedResponse({ type: NewWebhookEnvelope })
  @ApiErrors(400, 401, 403)
  async create(@Body() { webhook }: CreateWebhookRequest): Promise<NewWebhookEnvelope> {
    return { webhook: (await this.webhooks.create(webhook, ADMIN)) as NewWebhookEnvelope['webhook'] };
  }

  @Get()
  @ApiOperation({ summary: 'All webhook subscriptions' })
  @ApiOkResponse({ type: WebhookList })
  @ApiErrors(401, 403)
  async list(): Promise<WebhookList> {
    return { webhooks: (await this.webhooks.list(ADMIN)) as WebhookList['webhooks'] };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  @ApiOkResponse({ type: WebhookEnvelope })
  @ApiErrors(400, 401, 403, 404)
  async show(@Param('id', ParseIdPipe) id: string): Promise<WebhookEnvelope> {
    return { webhook: (await this.webhooks.get(id, ADMIN)) as WebhookEnvelope['webhook'] };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, the events or active (active: true clears failing/disabled)' })
  @ApiOkResponse({ type: WebhookEnvelope })
  @ApiErrors(400, 401, 403, 404)
  async update(@Param('id', ParseIdPipe) id: string, @Body() { webhook }: UpdateWebhookRequest): Promise<WebhookEnvelope> {
    return { webhook: (await this.webhooks.update(id, webhook, ADMIN)) as WebhookEnvelope['webhook'] };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a subscription and its delivery log' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 401, 403, 404)
  async remove(@Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.webhooks.remove(id, ADMIN);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The latest 100 deliveries: attempts, status code, error and times' })
  @ApiOkResponse({ type: DeliveryList })
  @ApiErrors(400, 401, 403, 404)
  async deliveries(@Param('id', ParseIdPipe) id: string): Promise<DeliveryList> {
    return { deliveries: await this.webhooks.deliveries(id, ADMIN) };
  }

  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again, now' })
  @ApiAcceptedResponse({ type: DeliveryEnvelope })
  @ApiErrors(400, 401, 403, 404)
  async redeliver(
    @Param('id', ParseIdPipe) id: string,
    @Param('delivery_id', ParseIdPipe) deliveryId: string,
  ): Promise<DeliveryEnvelope> {
    return { delivery: await this.webhooks.redeliver(id, deliveryId, ADMIN) };
  }
}
