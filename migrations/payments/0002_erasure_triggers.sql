-- A charge written for an erased user (the saga of an order placed before the deletion, run
-- after it) loses the user's id at once, in the same transaction (docs/adr/0028).
CREATE TRIGGER `payments_erased_user` AFTER INSERT ON `payments`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = NEW.`user_id`)
BEGIN
	UPDATE `payments` SET `user_id` = 'usr_deleted' WHERE `id` = NEW.`id`;
END;
