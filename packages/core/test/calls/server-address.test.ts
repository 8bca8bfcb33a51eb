import { serverAddressFromURL } from '../../src/calls/server-address';

describe('serverAddressFromURL', () => {
  it('reads host and port, with the scheme default port, and never the credentials', () => {
    expect(serverAddressFromURL('https://user:secret@api.openai.com/v1')).toEqual({
      serverAddress: 'api.openai.com',
      serverPort: 443,
    });
    expect(serverAddressFromURL('http://127.0.0.1:4000')).toEqual({
      serverAddress: '127.0.0.1',
      serverPort: 4000,
    });
    expect(serverAddressFromURL(new URL('http://[::1]:8080/x'))).toEqual({
      serverAddress: '::1',
      serverPort: 8080,
    });
  });

  it('answers repeated and alternating base URLs correctly (the last one is cached)', () => {
    const a = 'https://a.example.com/v1';
    const b = 'http://b.example.com:8080';
    for (let i = 0; i < 3; i++) {
      expect(serverAddressFromURL(a)).toEqual({ serverAddress: 'a.example.com', serverPort: 443 });
      expect(serverAddressFromURL(a)).toEqual({ serverAddress: 'a.example.com', serverPort: 443 });
      expect(serverAddressFromURL(b)).toEqual({ serverAddress: 'b.example.com', serverPort: 8080 });
    }
  });

  it('hands out a result the caller cannot change for the next caller', () => {
    const first = serverAddressFromURL('https://c.example.com');
    expect(() => {
      (first as { serverAddress?: string }).serverAddress = 'changed';
    }).toThrow(TypeError);
    expect(serverAddressFromURL('https://c.example.com').serverAddress).toBe('c.example.com');
  });

  it('returns {} for anything that is not a URL', () => {
    expect(serverAddressFromURL('not a url')).toEqual({});
    expect(serverAddressFromURL(undefined)).toEqual({});
    expect(serverAddressFromURL(42)).toEqual({});
    expect(serverAddressFromURL('not a url')).toEqual({});
  });
});
