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
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "products_price_positive" CHECK("products"."price_cents" > 0),
	CONSTRAINT "products_currency_iso4217" CHECK("products"."currency" GLOB '[A-Z][A-Z][A-Z]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_sku_unique` ON `products` (lower("sku"));--> statement-breakpoint
CREATE INDEX `products_created_at_id` ON `products` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `reservation_items` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_cents` integer NOT NULL,
	`currency` text NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`),
	FOREIGN KEY (`order_id`) REFERENCES `reservations`(`order_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reservation_items_quantity_positive" CHECK("reservation_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE `reservation_transitions` (
	`order_id` text PRIMARY KEY NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `reservations`(`order_id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reservation_transitions_from_reserved" CHECK("reservation_transitions"."from_status" = 'reserved'),
	CONSTRAINT "reservation_transitions_to_final" CHECK("reservation_transitions"."to_status" IN ('released', 'committed'))
);
--> statement-breakpoint
CREATE TABLE `reservations` (
	`order_id` text PRIMARY KEY NOT NULL,
	`reservation_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "reservations_status_known" CHECK("reservations"."status" IN ('reserved', 'released', 'committed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_reservation_id_unique` ON `reservations` (`reservation_id`);--> statement-breakpoint
CREATE TABLE `rpc_requests` (
	`caller` text NOT NULL,
	`key` text NOT NULL,
	`operation` text NOT NULL,
	`fingerprint` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`caller`, `key`)
);
--> statement-breakpoint
CREATE TABLE `stock` (
	`product_id` text PRIMARY KEY NOT NULL,
	`on_hand` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stock_on_hand_not_negative" CHECK("stock"."on_hand" >= 0),
	CONSTRAINT "stock_reserved_not_negative" CHECK("stock"."reserved" >= 0),
	CONSTRAINT "stock_reserved_within_on_hand" CHECK("stock"."reserved" <= "stock"."on_hand")
);
