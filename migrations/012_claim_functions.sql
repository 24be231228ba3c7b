-- The stock claim as one call: moving the product's claimed counter and taking the
-- items at those positions are still two statements (the second, in a VOLATILE
-- plpgsql function, reads with a fresh snapshot and so sees every item put back while
-- it waited for the counter's row lock), but one round trip from the app. The
-- counter row stays locked until the commit, so one product's buyers queue
-- there: the fewer round trips between the claim and the commit, the more of
-- them per second.
--
-- p_to NULL: the items are reserved for a pending order.
-- p_to set: they are sold to a paid order and its delivery message is queued:
-- p_before || the items, one per line || p_after.
-- No rows: fewer than p_qty were left. `remaining` is read under the lock.
-- Positions without their items raise (and the transaction rolls back).
CREATE FUNCTION stock_take(p_product bigint, p_order bigint, p_qty integer, p_to text, p_before text, p_after text)
RETURNS TABLE (item_id bigint, item text, remaining bigint) LANGUAGE plpgsql AS $$
DECLARE upto bigint; left_over bigint; found_n bigint;
BEGIN
  UPDATE products SET stock_claimed = stock_claimed + p_qty
   WHERE id = p_product AND stock_claimed + p_qty <= stock_added
  RETURNING stock_claimed, stock_added - stock_claimed INTO upto, left_over;
  IF upto IS NULL THEN RETURN; END IF;
  RETURN QUERY
    WITH taken AS (
      UPDATE stock_items s
         SET status = CASE WHEN p_to IS NULL THEN 'reserved' ELSE 'sold' END,
             order_id = p_order,
             sold_at = CASE WHEN p_to IS NULL THEN NULL ELSE now() END
       WHERE s.product_id = p_product AND s.status = 'available' AND s.position > upto - p_qty AND s.position <= upto
      RETURNING s.id, s.payload),
    queued AS (
      INSERT INTO outbox (recipient, body, kind, order_id)
      SELECT p_to, p_before || string_agg(taken.payload, E'\n' ORDER BY taken.id) || p_after, 'delivery', p_order
        FROM taken WHERE p_to IS NOT NULL HAVING count(*) > 0)
    SELECT taken.id, taken.payload, left_over FROM taken;
  -- Every position up to the counter holds an available item; if not, undo the claim.
  GET DIAGNOSTICS found_n = ROW_COUNT;
  IF found_n <> p_qty THEN
    RAISE EXCEPTION 'stock positions out of step for product %: claimed %, found %', p_product, p_qty, found_n;
  END IF;
END $$;
