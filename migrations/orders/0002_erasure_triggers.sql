-- Whatever is written for an erased user after the erasure (an order placed with a token that has
-- not expired yet, a late event feeding the read model, the event of a confirmation) loses the
-- user's id at once, in the same transaction (docs/adr/0028).
CREATE TRIGGER `orders_erased_user` AFTER INSERT ON `orders`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = NEW.`user_id`)
BEGIN
	UPDATE `orders` SET `user_id` = 'usr_deleted' WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `order_views_erased_user` AFTER INSERT ON `order_views`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = NEW.`user_id`)
BEGIN
	UPDATE `order_views` SET `user_id` = 'usr_deleted' WHERE `order_id` = NEW.`order_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_erased_user` AFTER INSERT ON `outbox`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = json_extract(NEW.`envelope`, '$.data.user_id'))
BEGIN
	UPDATE `outbox` SET `envelope` = json_set(`envelope`, '$.data.user_id', 'usr_deleted') WHERE `id` = NEW.`id`;
END;
