/* by_hand.h - level 1 booted by hand (qemu-kvm -hda supernested.img, no
 * host tool reading along) explains itself: a banner saying what happens
 * and how to change or stop it, and at the end the same depth table and
 * answer the host tool prints, from the same event model, fed with every
 * line level 1 writes. */
#ifndef SUPERNESTED_BY_HAND_H
#define SUPERNESTED_BY_HAND_H

/* Print the banner and start following the chain, or the tree of
 * @width > 1 children per level. */
void by_hand_start(int maxdepth, int width);

/* The table and the answer, from what was followed; before powering off. */
void by_hand_answer(void);

#endif
