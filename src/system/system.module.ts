import { type DynamicModule, Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { RootController } from './root.controller.js';
import { TestSupportController } from './test-support.controller.js';

@Module({})
export class SystemModule {
  static forRoot(options: { testEndpoints: boolean }): DynamicModule {
    return {
      module: SystemModule,
      imports: [MerchantsModule],
      controllers: [RootController, ...(options.testEndpoints ? [TestSupportController] : [])],
    };
  }
}
