-- QRIS through the Core API: the order keeps the QR text, the outbox can carry an image.
ALTER TABLE orders ADD COLUMN payment_qr text;
ALTER TABLE outbox ADD COLUMN image text;
