import { describe, expect, it } from 'vitest';
import { expandTopic, identFromTopic, slashCount, subscriptionFilter } from '../../../adapters/streams/topics.js';

describe('stream topics', () => {
  describe('expandTopic', () => {
    it('puts the variables in and keeps values from injecting wildcards', () => {
      expect(expandTopic('t/%device.id%/%ident%', { ident: 'a1', 'device.id': 4 })).toBe('t/4/a1');
      expect(expandTopic('t/%device.name%', { ident: 'a1', 'device.name': 'x+y#z' })).toBe('t/x_y_z');
      expect(expandTopic('t/%channel.id%/x', { ident: 'a1' })).toBe('t//x');
    });
  });

  describe('subscriptionFilter', () => {
    it('replaces every level holding a variable by +', () => {
      expect(subscriptionFilter('telematics/%ident%/commands')).toBe('telematics/+/commands');
      expect(subscriptionFilter('t/dev-%ident%/%device.id%/cmd')).toBe('t/+/+/cmd');
      expect(subscriptionFilter('fixed/topic')).toBe('fixed/topic');
    });
  });

  describe('identFromTopic', () => {
    it('reads the ident back from the level that holds it', () => {
      expect(identFromTopic('telematics/%ident%/commands', 'telematics/353/commands')).toBe('353');
      expect(identFromTopic('t/dev-%ident%/%device.id%/cmd', 't/dev-a-b/9/cmd')).toBe('a-b');
      expect(identFromTopic('truck-%device.id%', 'truck-3')).toBeUndefined();
      expect(identFromTopic('telematics/%ident%/commands', 'telematics/353/other')).toBeUndefined();
      expect(identFromTopic('telematics/%ident%/commands', 'telematics/353/commands/results')).toBeUndefined();
      expect(identFromTopic('x.%ident%', 'xy353')).toBeUndefined();
    });
  });

  it('counts slashes', () => {
    expect(slashCount('a/b/c')).toBe(2);
  });
});
