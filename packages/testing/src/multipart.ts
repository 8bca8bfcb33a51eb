// A minimal multipart/form-data parser, enough to record what an SDK uploaded.
import type { MultipartFile, MultipartForm } from './script.js';

/** The boundary of a `multipart/form-data` content type, or `undefined` for other types. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match =
    new RegExp(`${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`${name}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1];
}

/** Parses a `multipart/form-data` body into fields and files. Malformed parts are skipped. */
export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
  const form: MultipartForm = { fields: {}, files: [] };
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is `\r\n<headers>\r\n\r\n<data>\r\n` between two delimiters.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4);
      const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
      const field = headerParam(disposition, 'name');
      const filename = headerParam(disposition, 'filename');
      if (field !== undefined && filename !== undefined) {
        const contentType =
          /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        const file: MultipartFile = { field, filename, contentType, data: Buffer.from(data) };
        form.files.push(file);
      } else if (field !== undefined) {
        form.fields[field] = data.toString('utf8');
      }
    }
    start = next;
  }
  return form;
}
