import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IdempotencyRedacts, IdempotentMutations, ParseIdPipe } from '#platform';
import { AcceptPrincipals, CurrentPrincipal, type Principal } from '#identity';
import { NewWebhookJsonDoc, WebhookFields, WebhookJsonDoc, WebhookPatchFields } from './webhook.dto';
import { type WebhookOwner, WebhooksService } from './webhooks.service';

class PublicWebhook {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'Webhook created successfully' }) message: string;
  @ApiProperty({ type: NewWebhookJsonDoc }) data: NewWebhookJsonDoc;
}

class PublicWebhookUpdated {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'Webhook updated successfully' }) message: string;
  @ApiProperty({ type: WebhookJsonDoc }) data: WebhookJsonDoc;
}

class PublicWebhooks {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'Webhooks retrieved successfully' }) message: string;
  @ApiProperty({ type: [WebhookJsonDoc] }) data: WebhookJsonDoc[];
}

class PublicDone {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'Webhook deleted successfully' }) message: string;
}

class PublicError {
  @ApiProperty({ example: false }) status: boolean;
  @ApiProperty({ example: 'url must not point at a loopback or private address' }) message: string;
}

function ownerOf(principal: Principal): WebhookOwner {
  return { admin: false, apiKeyId: principal.id };
}

/** micro1's webhook routes for API-key callers: each key manages the subscriptions it made. */
@ApiTags('public API (micro1-compatible)')
@ApiSecurity('apiKey')
@AcceptPrincipals('api_key')
@ApiResponse({ status: 400, type: PublicError, description: 'The input is wrong; the message names the field' })
@ApiResponse({ status: 401, type: PublicError, description: '{"status": false, "message": "Invalid API key"}' })
@IdempotentMutations()
@Controller()
export class PublicWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhook')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a webhook; the signing secret is in this answer only' })
  @IdempotencyRedacts('data.secret')
  @ApiOkResponse({ type: PublicWebhook })
  @ApiResponse({
    status: 409,
    type: PublicError,
    description:
      'This key already has WEBHOOK_MAX_PER_API_KEY subscriptions (20 by default): ' +
      '{"status": false, "message": "an API key may have at most 20 webhook subscriptions; delete one first"}; ' +
      'or a request with this Idempotency-Key is still running',
  })
  async create(@Body() body: WebhookFields, @CurrentPrincipal() principal: Principal): Promise<PublicWebhook> {
    const data = (await this.webhooks.create(body, ownerOf(principal), null)) as NewWebhookJsonDoc;
    return { status: true, message: 'Webhook created successfully', data };
  }

  @Get('webhooks')
  @ApiOperation({ summary: "This key's webhooks" })
  @ApiOkResponse({ type: PublicWebhooks })
  async list(@CurrentPrincipal() principal: Principal): Promise<PublicWebhooks> {
    return { status: true, message: 'Webhooks retrieved successfully', data: await this.webhooks.list(ownerOf(principal)) };
  }

  @Put('webhook/:id')
  @ApiOperation({ summary: 'Update a webhook' })
  @ApiOkResponse({ type: PublicWebhookUpdated })
  @ApiResponse({ status: 404, type: PublicError, description: 'No such webhook of this key' })
  async update(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: WebhookPatchFields,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PublicWebhookUpdated> {
    const data = await this.webhooks.update(id, body, ownerOf(principal), null);
    return { status: true, message: 'Webhook updated successfully', data };
  }

  @Delete('webhook/:id')
  @ApiOperation({ summary: 'Delete a webhook' })
  @ApiOkResponse({ type: PublicDone })
  @ApiResponse({ status: 404, type: PublicError, description: 'No such webhook of this key' })
  async remove(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<PublicDone> {
    await this.webhooks.remove(id, ownerOf(principal));
    return { status: true, message: 'Webhook deleted successfully' };
  }
}
