/** CRC16/XMODEM table (polynomial 0x1021), as Redis Cluster hashes keys. */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
})();

/** Slots of a Redis Cluster. */
export const REDIS_CLUSTER_SLOTS = 16_384;

/**
 * The Redis Cluster slot of a key or shard channel name, as `CLUSTER KEYSLOT` answers it:
 * CRC16 of the UTF-8 bytes of the hash tag (what is between the first `{` and the next `}`,
 * when that is not empty) or of the whole name, modulo 16,384.
 */
export function redisKeySlot(name: string): number {
  const open = name.indexOf('{');
  const close = open < 0 ? -1 : name.indexOf('}', open + 1);
  const hashed = close > open + 1 ? name.slice(open + 1, close) : name;
  let crc = 0;
  for (const byte of Buffer.from(hashed, 'utf8')) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc % REDIS_CLUSTER_SLOTS;
}
