import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PaymentsExceptionFilter } from '../errors/payments-exception.filter.js';
import { PaymentsException } from '../errors/payments.exception.js';

@ApiExcludeController()
@UseFilters(PaymentsExceptionFilter)
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  async health(): Promise<{ Status: string }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new PaymentsException('DatabaseUnavailable', 'The database does not answer', [], 5);
    }
    return { Status: 'ok' };
  }
}
