// A signature as a greyscale PNG: one byte a pixel, ink on white, deflated by the browser's own
// CompressionStream. A canvas exports only RGBA PNGs, four bytes a pixel for what is black and white:
// about three times the bytes to send on one bar of signal, for the same strokes.
const SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
let crcTable = null;

export const canEncode = typeof CompressionStream !== "undefined";

function crc32(parts) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i += 1) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const name = new TextEncoder().encode(type);
  const head = new Uint8Array(4);
  const tail = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, data.length);
  new DataView(tail.buffer).setUint32(0, crc32([name, data]));
  return [head, name, data, tail];
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The context's pixels (ink drawn on a transparent canvas) laid on white paper, as an 8-bit greyscale PNG.
export async function grayPng(context, width, height) {
  const { data } = context.getImageData(0, 0, width, height);
  const rows = new Uint8Array((width + 1) * height); // each row: filter type 0, then its pixels
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      const grey = (data[i] * 299 + data[i + 1] * 587 + data[i + 2] * 114) / 1000;
      rows[y * (width + 1) + 1 + x] = Math.round(255 - (data[i + 3] / 255) * (255 - grey));
    }
  }
  const header = new Uint8Array(13); // width, height, 8 bits, greyscale, deflate, no filter choice, no interlace
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header[8] = 8;
  const parts = [SIGNATURE, ...chunk("IHDR", header), ...chunk("IDAT", await deflate(rows)),
    ...chunk("IEND", new Uint8Array(0))];
  return new Blob(parts, { type: "image/png" });
}
