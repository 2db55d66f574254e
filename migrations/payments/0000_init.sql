CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`envelope` text NOT NULL,
	`created_at` text NOT NULL,
	`sent_at` text,
	`claimed_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`sent_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`decline_reason` text,
	`provider` text NOT NULL,
	`provider_charge_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`refunded_at` text,
	CONSTRAINT "payments_status" CHECK("payments"."status" IN ('pending', 'captured', 'declined', 'refunded')),
	CONSTRAINT "payments_amount" CHECK("payments"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_idempotency_key_unique` ON `payments` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_one_live_per_order` ON `payments` (`order_id`) WHERE "payments"."status" IN ('pending', 'captured', 'refunded');--> statement-breakpoint
CREATE INDEX `payments_by_order` ON `payments` (`order_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `sandbox_attempts` (
	`key` text PRIMARY KEY NOT NULL,
	`attempts` integer NOT NULL
);
