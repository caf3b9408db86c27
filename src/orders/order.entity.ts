import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OrderStatus = 'created' | 'paid';

@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'merchant_id', type: 'uuid' })
  merchantId: string;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3, default: 'INR' })
  currency: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  receipt: string | null;

  @Column({ type: 'jsonb', nullable: true })
  notes: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 20, default: 'created' })
  status: OrderStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
