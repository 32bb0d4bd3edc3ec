import type { ArgumentMetadata } from '@nestjs/common';

import { PageQueryDto } from '../pagination/page-query.dto';
import { strictValidationPipe } from './validation.pipe';

class BrokenDefaultsDto extends PageQueryDto {
  // A default out of its own range: must be refused every time, never remembered as valid.
  override per_page = 500;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('strict validation of queries', () => {
  it('answers a query without parameters with the DTO defaults, every time', async () => {
    const pipe = strictValidationPipe();
    for (let i = 0; i < 3; i += 1) {
      const page = await pipe.transform({}, query(PageQueryDto));
      expect(page).toBeInstanceOf(PageQueryDto);
      expect(page).toEqual(Object.assign(new PageQueryDto(), { page: 1, per_page: 50 }));
    }
  });

  it('still validates and converts queries that carry parameters', async () => {
    const pipe = strictValidationPipe();
    await pipe.transform({}, query(PageQueryDto));
    await expect(pipe.transform({ page: '2' }, query(PageQueryDto))).resolves.toMatchObject({ page: 2 });
    await expect(pipe.transform({ per_page: '0' }, query(PageQueryDto))).rejects.toMatchObject({
      code: 'VALIDATION.FAILED',
    });
    await expect(pipe.transform({ unknown: 'x' }, query(PageQueryDto))).rejects.toMatchObject({
      code: 'VALIDATION.FAILED',
    });
  });

  it('never takes defaults that fail validation as valid', async () => {
    const pipe = strictValidationPipe();
    for (let i = 0; i < 2; i += 1) {
      await expect(pipe.transform({}, query(BrokenDefaultsDto))).rejects.toMatchObject({ code: 'VALIDATION.FAILED' });
    }
  });
});
