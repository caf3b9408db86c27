import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CardNetwork } from './instruments.js';

export type PaymentMethod = 'upi' | 'card';
export type PaymentStatus = 'pending' | 'processing' | 'success' | 'failed';

@Entity({ name: 'payments' })
export class Payment {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'order_id', type: 'varchar', length: 64 })
  orderId: string;

  @Column({ name: 'merchant_id', type: 'uuid' })
  merchantId: string;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3, default: 'INR' })
  currency: string;

  @Column({ type: 'varchar', length: 20 })
  method: PaymentMethod;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: PaymentStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  vpa: string | null;

  @Column({ name: 'card_network', type: 'varchar', length: 20, nullable: true })
  cardNetwork: CardNetwork | null;

  @Column({ name: 'card_last4', type: 'varchar', length: 4, nullable: true })
  cardLast4: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 50, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_description', type: 'text', nullable: true })
  errorDescription: string | null;

  @Column({ type: 'boolean', default: false })
  captured: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
