"""sacrebleu's sufficient statistics, extracted once per sentence, and every score derived from
them."""
